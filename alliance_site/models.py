"""Every model of the core, from its feature's package (Django loads an app's models from here)."""

from alliance_site.accounts.models import RoleGroup  # noqa: F401
from alliance_site.bodies.models import BodyMembership, BodyOfficer, BodyPage, ChapterOfficer, ChapterPage  # noqa: F401
from alliance_site.common.models import Submission  # noqa: F401
from alliance_site.enterprises.models import Enterprise, EnterpriseGroup, Industry  # noqa: F401
from alliance_site.filings.models import Filing  # noqa: F401
from alliance_site.home.models import HomePage  # noqa: F401
from alliance_site.members.models import Audience, CQOProfile, Education, ExpertiseTag, ProfessionalTitle, ProfileStatus  # noqa: F401
from alliance_site.regions.models import Region, RegionalRegulator  # noqa: F401
from alliance_site.sanctions.models import CQOWarning  # noqa: F401
from alliance_site.talent.models import ContactReveal, DisclosureConsent, QualityMethod  # noqa: F401
