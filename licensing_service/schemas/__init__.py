"""The licensing service API's input and output schemas (the contract in SPEC.md §6)."""
