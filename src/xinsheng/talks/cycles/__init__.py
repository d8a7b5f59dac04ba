"""Talk cycles (双向约谈): the tier rules, the pairs they imply, and how the pairs are followed.

What a tier rule means, exactly (``rules.py`` applies it; ``TierRule``'s docstring names the
fields):

- **Who counts.** Only active people (在职) whose own unit is active, on both sides of a pair.
- **Inside the cycle.** A cycle pairs only people whose unit lies in the cycle's subtree, host
  and person alike: a leader above the cycle's unit holds no talks in it, and nobody outside it is
  talked with.
- **Never oneself.** A host is never paired with themselves, even when they match the targets of
  their own rule (a head who is a party member of the unit they head).
- **Reach, seen from the host's unit.** ``own_unit`` is the host's unit and everything under it
  (a work area's 班组长 sit in its teams); ``units_in_charge`` is every unit the host is in charge
  of (分管, ``UnitCharge``) and everything under each; ``units_below`` is everything under the
  host's unit, without the unit itself. ``target_unit_kinds`` then narrows to people whose own
  unit is of those kinds.
- **One talk per two people.** When several rules imply the same host and person, the pair
  belongs to the first active rule by ``order`` (then id): the two talk once in a cycle.

Generating again after people moved keeps pairs that were held or waived as they are, retires
the planned pairs no longer implied (with the reason the list shows), adds the new ones, and moves
a planned pair to the rule or unit that now implies it.
"""
