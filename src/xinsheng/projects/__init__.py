"""Practical-matter projects and public commitments: voices turned into work, tracked to done."""
