"""Site profiles: one TOML file per site (``sites/*.toml``), loaded into frozen dataclasses.

    >>> from scraper.profiles import builtin_profiles
    >>> builtin_profiles()["yuhang"].family
    'hanweb'
"""
from .loader import (adhoc_profile, builtin_profiles, load_profile, load_profiles, parse_years,
                     profile_from_dict, sites_dir)
from .model import (LEVELS, ArticleRules, AttachmentRules, Entry, ListRules, Pagination,
                    RequestPolicy, SiteProfile)

__all__ = ["SiteProfile", "Entry", "ListRules", "Pagination", "ArticleRules", "AttachmentRules",
           "RequestPolicy", "LEVELS", "load_profile", "load_profiles", "builtin_profiles",
           "profile_from_dict", "adhoc_profile", "parse_years", "sites_dir"]
