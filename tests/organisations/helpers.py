"""Test helpers for the organisation side: a contact's link and an open organisation session."""
from wdp.extensions import db
from wdp.organisations import access


def issue_link(app, email):
    """(contact id, raw token) of a new link for the register address (committed)."""
    with app.app_context():
        contact = access.contact_for(email)
        raw = access.issue_link(contact)
        db.session.commit()
        return contact.id, raw


def open_session(app, client, email):
    """Give the test client an organisation session for the address, as the link's button does.

    Tests of the link itself go through the real routes; this is for tests of what comes after.
    """
    contact_id, raw = issue_link(app, email)
    with app.app_context():
        _state, token = access.token_state(raw)
        token_id = token.id
    from wdp.clock import now
    moment = now().isoformat()
    with app.test_request_context():
        with client.session_transaction() as session:
            session[access.SESSION_KEY] = {"token": token_id, "since": moment, "seen": moment}
    return contact_id
