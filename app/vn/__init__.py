"""Vietnamese rules for names, identity numbers, phones, dates and units. No Qt, no DB."""
