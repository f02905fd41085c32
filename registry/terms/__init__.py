"""Terms of office: which appointments are past their term ("hết nhiệm kỳ"), and re-appointing
them for the new term under one decision."""
