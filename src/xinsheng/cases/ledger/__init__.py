"""The ledger (台账): keyset pages, Excel export and the import of historical ledgers."""
