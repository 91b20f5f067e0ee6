from gongkai.core import demo
from gongkai.interaction.models import HotlineCall, Letter, LetterStatus, ReadingVisit


def test_the_demo_builds_letters_in_every_state_and_runs_twice_unchanged(db):
    demo.build()
    counts = (Letter.objects.count(), HotlineCall.objects.count(), ReadingVisit.objects.count())
    statuses = set(Letter.objects.values_list("status", flat=True))
    assert {
        LetterStatus.PUBLISHED,
        LetterStatus.ANSWERED,
        LetterStatus.RECEIVED,
        LetterStatus.SPAM,
    } <= statuses
    assert Letter.objects.published().count() == 2
    for letter in Letter.objects.published():
        assert letter.writer_name not in letter.public_content + letter.public_reply
    demo.build()
    assert (
        Letter.objects.count(),
        HotlineCall.objects.count(),
        ReadingVisit.objects.count(),
    ) == counts
