"""Who posts in the sample communities and how they open and close their posts."""

from __future__ import annotations

USERNAMES = [
    "norwood_nate", "crownwatcher", "minox_mike", "fin_since_2019", "temple_tom",
    "sheddingsally", "hairline_hopeful", "baldbutbold", "dermroller_dan", "ketokid",
    "ldom_larry", "rusky", "prp_paula", "natural_nick", "lasercap_lee", "grafty",
    "thin_on_top", "vertex_vic", "big3bro", "scalpcare_sam", "follicle_fan",
    "dut_dude", "rosemary_rose", "hopeful_hannah", "nw3forever", "stacks_on_stacks",
]

# How people open and close posts on each platform (picked at random, often nothing).
OPENERS: dict[str, list[str]] = {
    "reddit": ["", "", "Long time lurker, first post.", "Throwaway because friends know my "
               "main."],
    "discourse": ["", "Hi all,", "Hello everyone,"],
    "xenforo": ["", "Hey guys,", "Quick one for the veterans here."],
    "phpbb": ["", "Hello all,", "Evening everyone,"],
    "vbulletin": ["", "Hi guys,", "Long time reader \u2013 rare poster."],
}
CLOSERS: dict[str, list[str]] = {
    "reddit": ["", "", "TIA!", "Edit: thanks for all the replies, reading every one."],
    "discourse": ["", "Thanks in advance.", "Any input appreciated."],
    "xenforo": ["", "Cheers", "Thanks!"],
    "phpbb": ["", "Regards", "Thanks for reading."],
    "vbulletin": ["", "Thanks in advance", "That\u2019s my two cents."],
}
