"""Files that go upward: Excel workbooks of every table a person sees, the Word report."""
