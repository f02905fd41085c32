"""Exemplary models (mô hình hay, điển hình tiên tiến)."""
