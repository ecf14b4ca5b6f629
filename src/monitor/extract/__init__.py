"""Page bodies to text: HTML (and documents) to the visible text the classifier reads."""
