"""Data: who publishes at a host, and how posts on social sites are named.

Hosts are written as ``normalize_url`` leaves them (lower case, no ``www.``).
A host matches its own entry and the entries of its parent domains
(``edition.cnn.com`` -> ``cnn.com``); the most specific entry wins.
"""

from __future__ import annotations

NEWS = "news"
DOC = "document"
SOCIAL = "social"
OTHER = "other"

ISW = "Institute for the Study of War"

# host -> (publisher, kind)
PUBLISHERS: dict[str, tuple[str, str]] = {
    # international news
    "reuters.com": ("Reuters", NEWS),
    "nytimes.com": ("The New York Times", NEWS),
    "bloomberg.com": ("Bloomberg", NEWS),
    "washingtonpost.com": ("The Washington Post", NEWS),
    "wsj.com": ("The Wall Street Journal", NEWS),
    "ft.com": ("Financial Times", NEWS),
    "theguardian.com": ("The Guardian", NEWS),
    "bbc.com": ("BBC", NEWS),
    "bbc.co.uk": ("BBC", NEWS),
    "cnn.com": ("CNN", NEWS),
    "apnews.com": ("Associated Press", NEWS),
    "politico.com": ("Politico", NEWS),
    "politico.eu": ("Politico Europe", NEWS),
    "economist.com": ("The Economist", NEWS),
    "aljazeera.com": ("Al Jazeera", NEWS),
    "newsweek.com": ("Newsweek", NEWS),
    "cnbc.com": ("CNBC", NEWS),
    "axios.com": ("Axios", NEWS),
    "dw.com": ("Deutsche Welle", NEWS),
    "france24.com": ("France 24", NEWS),
    "thetimes.co.uk": ("The Times", NEWS),
    "telegraph.co.uk": ("The Telegraph", NEWS),
    "forbes.com": ("Forbes", NEWS),
    "foxnews.com": ("Fox News", NEWS),
    "abcnews.go.com": ("ABC News", NEWS),
    "cbsnews.com": ("CBS News", NEWS),
    "nbcnews.com": ("NBC News", NEWS),
    "npr.org": ("NPR", NEWS),
    "thehill.com": ("The Hill", NEWS),
    "usnews.com": ("U.S. News & World Report", NEWS),
    "news.sky.com": ("Sky News", NEWS),
    "news.yahoo.com": ("Yahoo News", NEWS),
    "afp.com": ("AFP", NEWS),
    "lemonde.fr": ("Le Monde", NEWS),
    "spiegel.de": ("Der Spiegel", NEWS),
    "navalnews.com": ("Naval News", NEWS),
    "thedrive.com": ("The Drive", NEWS),
    "defensenews.com": ("Defense News", NEWS),
    "breakingdefense.com": ("Breaking Defense", NEWS),
    # Ukrainian media
    "kyivindependent.com": ("The Kyiv Independent", NEWS),
    "kyivpost.com": ("Kyiv Post", NEWS),
    "pravda.com.ua": ("Ukrainska Pravda", NEWS),
    "epravda.com.ua": ("Ekonomichna Pravda", NEWS),
    "eurointegration.com.ua": ("Yevropeiska Pravda", NEWS),
    "ukrinform.ua": ("Ukrinform", NEWS),
    "ukrinform.net": ("Ukrinform", NEWS),
    "ukrinform.ru": ("Ukrinform", NEWS),
    "unian.net": ("UNIAN", NEWS),
    "unian.ua": ("UNIAN", NEWS),
    "unian.info": ("UNIAN", NEWS),
    "rbc.ua": ("RBC-Ukraine", NEWS),
    "suspilne.media": ("Suspilne", NEWS),
    "liga.net": ("LIGA.net", NEWS),
    "nv.ua": ("NV", NEWS),
    "zn.ua": ("Dzerkalo Tyzhnia", NEWS),
    "censor.net": ("Censor.NET", NEWS),
    "hromadske.ua": ("Hromadske", NEWS),
    "radiosvoboda.org": ("Radio Svoboda", NEWS),
    "armyinform.com.ua": ("ArmyInform", NEWS),
    "interfax.com.ua": ("Interfax-Ukraine", NEWS),
    "24tv.ua": ("24 Kanal", NEWS),
    "lb.ua": ("LB.ua", NEWS),
    "tsn.ua": ("TSN", NEWS),
    "espreso.tv": ("Espreso", NEWS),
    "gordonua.com": ("Gordon", NEWS),
    "focus.ua": ("Focus", NEWS),
    "fakty.com.ua": ("Fakty", NEWS),
    "depo.ua": ("Depo", NEWS),
    "apostrophe.ua": ("Apostrophe", NEWS),
    "defence-ua.com": ("Defense Express", NEWS),
    "krymr.com": ("Krym.Realii", NEWS),
    # Russian and Russian-language media
    "tass.ru": ("TASS", NEWS),
    "tass.com": ("TASS", NEWS),
    "ria.ru": ("RIA Novosti", NEWS),
    "interfax.ru": ("Interfax", NEWS),
    "interfax.com": ("Interfax", NEWS),
    "interfax-russia.ru": ("Interfax", NEWS),
    "rbc.ru": ("RBC", NEWS),
    "kommersant.ru": ("Kommersant", NEWS),
    "meduza.io": ("Meduza", NEWS),
    "novayagazeta.eu": ("Novaya Gazeta Europe", NEWS),
    "novayagazeta.ru": ("Novaya Gazeta", NEWS),
    "vedomosti.ru": ("Vedomosti", NEWS),
    "iz.ru": ("Izvestia", NEWS),
    "rg.ru": ("Rossiyskaya Gazeta", NEWS),
    "lenta.ru": ("Lenta.ru", NEWS),
    "mk.ru": ("Moskovsky Komsomolets", NEWS),
    "kp.ru": ("Komsomolskaya Pravda", NEWS),
    "gazeta.ru": ("Gazeta.ru", NEWS),
    "fontanka.ru": ("Fontanka", NEWS),
    "themoscowtimes.com": ("The Moscow Times", NEWS),
    "rferl.org": ("Radio Free Europe/Radio Liberty", NEWS),
    "svoboda.org": ("Radio Svoboda", NEWS),
    "currenttime.tv": ("Current Time", NEWS),
    "istories.media": ("Important Stories", NEWS),
    "verstka.media": ("Verstka", NEWS),
    "zona.media": ("Mediazona", NEWS),
    "sotavision.world": ("SOTA", NEWS),
    "theins.ru": ("The Insider", NEWS),
    "notes.citeam.org": ("Conflict Intelligence Team", NEWS),
    "rt.com": ("RT", NEWS),
    "tsargrad.tv": ("Tsargrad", NEWS),
    "tvzvezda.ru": ("Zvezda", NEWS),
    "topwar.ru": ("Voennoye Obozreniye", NEWS),
    "riafan.ru": ("RIA FAN", NEWS),
    "ura.news": ("URA.ru", NEWS),
    "ura.ru": ("URA.ru", NEWS),
    "1tv.ru": ("Channel One Russia", NEWS),
    "smotrim.ru": ("Smotrim", NEWS),
    "levada.ru": ("Levada Center", NEWS),
    "kavkaz-uzel.eu": ("Caucasian Knot", NEWS),
    "idelreal.org": ("Idel.Realii", NEWS),
    "sibreal.org": ("Sibir.Realii", NEWS),
    "belta.by": ("BelTA", NEWS),
    "nashaniva.com": ("Nasha Niva", NEWS),
    # think tanks
    "understandingwar.org": (ISW, "backgrounder"),
    "isw.pub": (ISW, "backgrounder"),
    # governments and international organisations
    "defense.gov": ("U.S. Department of Defense", DOC),
    "state.gov": ("U.S. Department of State", DOC),
    "whitehouse.gov": ("The White House", DOC),
    "nato.int": ("NATO", DOC),
    "un.org": ("United Nations", DOC),
    "treaties.un.org": ("United Nations Treaty Collection", DOC),
    "ohchr.org": ("UN Human Rights Office", DOC),
    "iaea.org": ("International Atomic Energy Agency", DOC),
    "icrc.org": ("International Committee of the Red Cross", DOC),
    "kremlin.ru": ("President of Russia", DOC),
    "mil.ru": ("Russian Ministry of Defence", DOC),
    "mid.ru": ("Russian Ministry of Foreign Affairs", DOC),
    "government.ru": ("Government of Russia", DOC),
    "duma.gov.ru": ("State Duma of Russia", DOC),
    "pravo.gov.ru": ("Official Legal Information Portal of Russia", DOC),
    "mod.gov.ua": ("Ministry of Defence of Ukraine", DOC),
    "mil.gov.ua": ("Ministry of Defence of Ukraine", DOC),
    "president.gov.ua": ("President of Ukraine", DOC),
    "gur.gov.ua": ("Defence Intelligence of Ukraine", DOC),
    "zsu.gov.ua": ("Armed Forces of Ukraine", DOC),
    "kmu.gov.ua": ("Cabinet of Ministers of Ukraine", DOC),
    "rada.gov.ua": ("Verkhovna Rada of Ukraine", DOC),
    "mfa.gov.ua": ("Ministry of Foreign Affairs of Ukraine", DOC),
    "rnbo.gov.ua": ("National Security and Defense Council of Ukraine", DOC),
    "dsns.gov.ua": ("State Emergency Service of Ukraine", DOC),
    "dpsu.gov.ua": ("State Border Guard Service of Ukraine", DOC),
    "ssu.gov.ua": ("Security Service of Ukraine", DOC),
    "gp.gov.ua": ("Office of the Prosecutor General of Ukraine", DOC),
    "mvs.gov.ua": ("Ministry of Internal Affairs of Ukraine", DOC),
    # social media and video
    "twitter.com": ("X (Twitter)", SOCIAL),
    "x.com": ("X (Twitter)", SOCIAL),
    "t.me": ("Telegram", SOCIAL),
    "telegram.me": ("Telegram", SOCIAL),
    "telegra.ph": ("Telegraph", SOCIAL),
    "facebook.com": ("Facebook", SOCIAL),
    "fb.watch": ("Facebook", SOCIAL),
    "youtube.com": ("YouTube", SOCIAL),
    "youtu.be": ("YouTube", SOCIAL),
    "vk.com": ("VK", SOCIAL),
    "ok.ru": ("Odnoklassniki", SOCIAL),
    "instagram.com": ("Instagram", SOCIAL),
    "tiktok.com": ("TikTok", SOCIAL),
    "rutube.ru": ("Rutube", SOCIAL),
    "livejournal.com": ("LiveJournal", SOCIAL),
    "reddit.com": ("Reddit", SOCIAL),
}

# host suffix -> (publisher template, kind), for hosts without an entry of their own
SUFFIXES: tuple[tuple[str, str, str], ...] = (
    ("gov.ua", "Government of Ukraine ({host})", DOC),
    ("gov.ru", "Government of Russia ({host})", DOC),
    ("mil", "U.S. military ({host})", DOC),
)

# "host/account" (account lower-cased) -> publisher, for official accounts
ACCOUNTS: dict[str, str] = {
    "facebook.com/generalstaff.ua": "General Staff of the Armed Forces of Ukraine",
    "twitter.com/generalstaffua": "General Staff of the Armed Forces of Ukraine",
    "x.com/generalstaffua": "General Staff of the Armed Forces of Ukraine",
    "t.me/generalstaffzsu": "General Staff of the Armed Forces of Ukraine",
    "facebook.com/ministryofdefence.ua": "Ministry of Defence of Ukraine",
    "t.me/mod_russia": "Russian Ministry of Defence",
    "t.me/mod_russia_en": "Russian Ministry of Defence",
    "t.me/v_zelenskiy_official": "President of Ukraine",
    "facebook.com/zelenskiy.official": "President of Ukraine",
}

# Posts on social sites: (host, pattern over "path?query" of the canonical URL,
# title template, id template).  Named groups: a = account, b = post.
SOCIAL_POSTS: tuple[tuple[str, str, str, str], ...] = (
    ("facebook.com", r"^/(?P<a>[^/?]+)/(?:posts|videos|photos|reels?)/(?:[^/?]+/)?(?P<b>[^/?]+)",
     "{a}, post {b}", "facebook-{a}-{b}"),
    ("facebook.com", r"^/watch\?(?:.*&)?v=(?P<b>[0-9]+)", "Facebook video {b}", "facebook-video-{b}"),
    ("facebook.com", r"^/photo(?:\.php)?\?(?:.*&)?fbid=(?P<b>[0-9]+)",
     "Facebook photo {b}", "facebook-photo-{b}"),
    ("facebook.com", r"^/(?:permalink|story)\.php\?(?:.*&)?story_fbid=(?P<b>[^&]+)",
     "Facebook post {b}", "facebook-post-{b}"),
    ("facebook.com", r"^/(?P<a>[^/?]+)/?$", "{a} on Facebook", "facebook-{a}"),
    ("fb.watch", r"^/(?P<b>[^/?]+)", "Facebook video {b}", "facebook-video-{b}"),
    ("vk.com", r"^/wall(?P<b>-?[0-9]+_[0-9]+)", "VK post {b}", "vk-wall-{b}"),
    ("vk.com", r"^/video(?P<b>-?[0-9]+_[0-9]+)", "VK video {b}", "vk-video-{b}"),
    ("vk.com", r"^/(?P<a>[^/?]+)$", "{a} on VK", "vk-{a}"),
    ("instagram.com", r"^/(?:p|reels?|tv)/(?P<b>[^/?]+)", "Instagram post {b}", "instagram-{b}"),
    ("instagram.com", r"^/(?P<a>[^/?]+)$", "@{a} on Instagram", "instagram-{a}"),
    ("tiktok.com", r"^/@(?P<a>[^/?]+)/video/(?P<b>[0-9]+)", "@{a}, video {b}", "tiktok-{b}"),
    ("youtube.com", r"^/(?:c|channel|user)/(?P<a>[^/?]+)$", "{a} on YouTube", "youtube-{a}"),
    ("youtube.com", r"^/@(?P<a>[^/?]+)$", "@{a} on YouTube", "youtube-{a}"),
    ("twitter.com", r"^/(?P<a>[A-Za-z0-9_]{1,20})$", "@{a}", "x-{a}"),
    ("x.com", r"^/(?P<a>[A-Za-z0-9_]{1,20})$", "@{a}", "x-{a}"),
    ("rutube.ru", r"^/video/(?P<b>[0-9a-f]+)", "Rutube video {b}", "rutube-{b}"),
    ("ok.ru", r"^/video/(?P<b>[0-9]+)", "OK video {b}", "ok-video-{b}"),
)


def lookup(host: str) -> tuple[str, str] | None:
    """(publisher, kind) for a canonical host, its parent domains, or a suffix rule."""
    labels = host.split(".")
    for i in range(len(labels) - 1):
        entry = PUBLISHERS.get(".".join(labels[i:]))
        if entry:
            return entry
    for suffix, template, kind in SUFFIXES:
        if host == suffix or host.endswith("." + suffix):
            return template.format(host=host), kind
    return None
