"""Chinese text processing with no Django imports: testable and measurable alone."""
