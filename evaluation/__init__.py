"""How well Runding answers, measured as the user sees it: question sets and their matching rules
(`questions`), passage sets (`passages`, `facqa`), the answer figures (`answers`), follow-up dialogues
(`dialogues`) and the indexes they answer from (`corpus`). `python -m bot eval` runs it (`cli`).

It sits beside the bot and the index: it imports them, and nothing in `bot/` or `index/` imports it
except the `eval` command.
"""
