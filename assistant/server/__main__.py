"""`python -m assistant.server run ...`: see `assistant.server.launcher`."""

from assistant.server.launcher import main

main()
