"""Applications to assistance programmes: student aid as a chain (application, unit review,
union approval, public notice, payment, term follow-ups, renewal) and illness relief (costs,
insurance, own share, relief from the rules, approval, payment)."""
