"""The licensing service's tables, one module per aggregate; importing this package registers them all."""
