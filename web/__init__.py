"""The input channels and their pages: the chat page, the kennisbank, hardened REST.

What both channels share lives here too: the input rules, the rate limits and busy
conversations, and one user turn with its notices (`turn`, its gate on `app.ctx`).
"""
