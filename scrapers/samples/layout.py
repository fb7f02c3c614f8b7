"""Where each sample community lives on the sample server, and its fixed names and ids."""

from __future__ import annotations

# Path prefix of each service on the one loopback server (each source gets its own base_url).
PREFIX = {
    "reddit": "/reddit-api",
    "reddit_auth": "/reddit-www",
    "discourse": "/discourse",
    "xenforo": "/xenforo",
    "phpbb": "/phpbb",
    "vbulletin": "/vbulletin",
    "pubmed": "/eutils",
    "semanticscholar": "/s2",
    "europepmc": "/europepmc",
}
SUBREDDIT = "HairlossLab"
REDDIT_PAGE_SIZE = 25          # the sample API answers at most this many posts per page
DISCOURSE_PAGE_SIZE = 30       # Discourse's own /latest page size
XENFORO_PAGE_SIZE = 20         # XenForo's default threads per forum page
PHPBB_PAGE_SIZE = 25           # phpBB's default topics per page
VBULLETIN_PAGE_SIZE = 20       # vBulletin's default threads per forumdisplay page

# Discourse categories: name -> (id, slug).
DISCOURSE_CATEGORIES = {
    "General": (4, "general"),
    "Treatments": (5, "treatments"),
    "Research & Studies": (6, "research"),
    "Progress Reports": (7, "progress"),
    "Side Effects": (8, "side-effects"),
}
# XenForo forums: name -> (slug, node id); which forum each kind of topic is posted in.
XENFORO_FORUMS = {
    "Hair Loss Treatments": ("hair-loss-treatments", 12),
    "Research & News": ("research-news", 15),
    "Success Stories & Progress": ("success-stories", 17),
}
XENFORO_FORUM_OF_KIND = {
    "question": "Hair Loss Treatments", "routine": "Hair Loss Treatments",
    "sides": "Hair Loss Treatments", "research": "Research & News",
    "progress": "Success Stories & Progress", "general": "Success Stories & Progress",
}
# phpBB forums: name -> forum id.
PHPBB_FORUMS = {
    "Treatments & Regimens": 3,
    "Research Corner": 7,
    "Progress & Results": 9,
}
PHPBB_FORUM_OF_KIND = {
    "question": "Treatments & Regimens", "routine": "Treatments & Regimens",
    "sides": "Treatments & Regimens", "research": "Research Corner",
    "progress": "Progress & Results", "general": "Progress & Results",
}


def base36(number: int) -> str:
    """Reddit-style base-36 id."""
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while number:
        number, rem = divmod(number, 36)
        out = digits[rem] + out
    return out or "0"


def reddit_id(thread_id: int) -> str:
    """The base-36 post id of sample thread `thread_id`."""
    return base36(2_900_000_000 + thread_id * 7919)


def external_id(platform: str, thread_id: int) -> str:
    """The id a spider stores for sample thread `thread_id` on `platform`."""
    if platform == "reddit":
        return reddit_id(thread_id)
    return str(thread_id)
# vBulletin forums: name -> forum id; thread title prefixes per kind of topic.
VBULLETIN_FORUMS = {
    "Hair Loss Treatments": 4,
    "Scientific Research": 6,
    "Progress Reports & Results": 8,
}
VBULLETIN_FORUM_OF_KIND = {
    "question": "Hair Loss Treatments", "routine": "Hair Loss Treatments",
    "sides": "Hair Loss Treatments", "research": "Scientific Research",
    "progress": "Progress Reports & Results", "general": "Progress Reports & Results",
}
VBULLETIN_PREFIX = {
    "question": "Question:", "routine": "Regimen:", "sides": "Sides:", "research": "Study:",
    "progress": "Progress:", "general": "Discussion:",
}
