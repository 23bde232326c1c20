from .bodies import BodyMembership, BodyOfficer, BodyPage, ChapterOfficer, ChapterPage  # noqa: F401
from .enterprises import Enterprise, EnterpriseGroup, Industry  # noqa: F401
from .filings import Filing  # noqa: F401
from .home import HomePage  # noqa: F401
from .profiles import Audience, CQOProfile, Education, ExpertiseTag, ProfessionalTitle, ProfileStatus  # noqa: F401
from .regions import Region, RegionalRegulator  # noqa: F401
from .role_groups import RoleGroup  # noqa: F401
from .sanctions import CQOWarning  # noqa: F401
from .submissions import Submission  # noqa: F401
from .talent import ContactReveal, DisclosureConsent, QualityMethod  # noqa: F401
