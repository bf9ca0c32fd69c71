"""Pure logic of the stem cell / cord blood assistant, free of Rasa servers."""
