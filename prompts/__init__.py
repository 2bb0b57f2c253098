"""The bot's prompt files (`*.md`). A package only so that a wheel ships them: `bot.prompts` finds this folder
through importlib.resources, in a checkout and in an installed wheel alike."""
