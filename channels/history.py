"""Per-conversation chat history, so follow-up questions in a chat see the earlier turns."""

from __future__ import annotations

from collections import OrderedDict

from bot.models import Turn


class HistoryStore:
    """The last `max_turns` turns of each conversation, for at most `max_conversations` (least recent dropped)."""

    def __init__(self, max_turns: int = 10, max_conversations: int = 10_000) -> None:
        self.max_turns = max_turns
        self.max_conversations = max_conversations
        self._turns: OrderedDict[str, list[Turn]] = OrderedDict()

    def get(self, key: str) -> list[Turn]:
        """A copy of the conversation's turns, oldest first."""
        return list(self._turns.get(key, []))

    def append(self, key: str, question: str, answer: str) -> None:
        """Record one exchange (the answer without its citation footer)."""
        turns = self._turns.pop(key, [])
        turns += [Turn(role="user", content=question), Turn(role="assistant", content=answer)]
        self._turns[key] = turns[-self.max_turns :]
        while len(self._turns) > self.max_conversations:
            self._turns.popitem(last=False)

    def clear(self, key: str) -> None:
        self._turns.pop(key, None)
