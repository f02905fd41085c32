"""Training courses and who attended them."""
