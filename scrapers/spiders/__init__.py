"""hairlink's spiders, one per forum engine or study source."""
