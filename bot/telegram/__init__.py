"""The Telegram layer: python-telegram-bot handlers, replies and the Application."""
