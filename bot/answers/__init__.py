"""The answer engine: question analysis, retrieval, reading, the gate and the templated answer.

Knows nothing of Telegram; the terminal chat and the Telegram layer both call `AnswerService`.
"""
