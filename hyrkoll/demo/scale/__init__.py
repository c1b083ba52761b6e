"""The national-scale data set (``hyrkoll generate_scale_data``): ten years of ordering, assignments,
time, invoices and the cost ledger for all 21 regions, written with COPY. The phases are in ``run``."""
