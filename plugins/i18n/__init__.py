"""i18n feature."""
