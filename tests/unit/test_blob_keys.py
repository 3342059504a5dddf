"""A delivery names its objects the same way on every retry, and apart from every other delivery."""

from inbox.domain.blob_keys import delivery_blobs


def test_a_delivery_names_its_blobs_the_same_way_on_every_retry_and_apart_from_others():
    first = delivery_blobs("t1", "email", "i1", "<x@example.net>")
    assert first == delivery_blobs("t1", "email", "i1", "<x@example.net>")
    assert first.raw != delivery_blobs("t1", "email", "i1", "<y@example.net>").raw
    assert first.raw != delivery_blobs("t1", "email", "i2", "<x@example.net>").raw
    assert all(key.startswith("t1/") for key in (first.raw, first.body, first.attachments))


def test_a_file_name_stays_inside_its_delivery_and_short():
    named = delivery_blobs("t1", "email", "i1", "<x@example.net>")
    key = named.attachment(3, "../" * 100 + "facture.pdf")
    assert key.startswith(named.attachments + "3/")
    assert len(key) < 200
