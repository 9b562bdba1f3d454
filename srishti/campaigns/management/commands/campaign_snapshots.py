"""Take the weekly snapshots of campaigns: every week that has ended and has none yet.

Idempotent per campaign and week (a snapshot, once taken, stays as it was), so it can run
daily from cron: `srishti manage campaign_snapshots`.
"""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from srishti.campaigns.models import Campaign
from srishti.campaigns.services import campaign_snapshot_take, campaign_snapshots_due
from srishti.core.errors import DomainError


class Command(BaseCommand):
    help = "Take the weekly snapshot of every campaign week that has ended (once per week)."

    def add_arguments(self, parser):
        parser.add_argument("--campaign", type=int, help="only this campaign (its id)")
        parser.add_argument("--week", type=int, help="only this week (needs --campaign)")

    def handle(self, *args, **options):
        campaign = None
        if options["campaign"] is not None:
            campaign = Campaign.objects.filter(pk=options["campaign"]).first()
            if campaign is None:
                raise CommandError(f"no campaign with id {options['campaign']}")
        if options["week"] is not None:
            if campaign is None:
                raise CommandError("--week needs --campaign")
            try:
                _snapshot, created = campaign_snapshot_take(campaign=campaign,
                                                            week=options["week"])
            except DomainError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"{campaign}: week {options['week']} "
                              f"{'taken' if created else 'was already taken'}")
            return
        campaigns = [campaign] if campaign else list(Campaign.objects.order_by("start"))
        taken = 0
        for c in tqdm(campaigns, desc="campaigns", disable=options["verbosity"] < 1
                      or len(campaigns) < 2):
            taken += len(campaign_snapshots_due(campaign=c))
        self.stdout.write(f"{taken} weekly snapshot(s) taken")
