"""Standard interfaces for learning platforms: teacher export routes and LTI 1.3 (launch, grade passback)."""
