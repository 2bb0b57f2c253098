"""The bot: question analysis, follow-up rewriting, answer selection and the answer object."""
