"""Alerts when a new report lands: subscriptions and an outbox in SQLite (store), which articles are
new and who wants them (news), the article's key facts (key_facts) and what counts as being about a
subject (subjects). Nothing here speaks Telegram: bot/telegram/alerts.py sends what the outbox holds.
"""
