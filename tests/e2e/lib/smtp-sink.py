# A real SMTP server for the forwarding tests (Debian's python3-aiosmtpd): every message it
# accepts is parsed with Python's email package and printed as one JSON line on stdout.
# Usage: python3 smtp-sink.py PORT. Recipients containing "tempfail" are answered 451 the first
# time, "reject" always 550 (the e-mail retry and failure paths).
import asyncio, email, json, signal, sys
from email import policy
from aiosmtpd.controller import Controller

seen = set()

class Handler:
    async def handle_DATA(self, server, session, envelope):
        rcpts = ' '.join(envelope.rcpt_tos)
        if 'reject' in rcpts:
            return '550 mailbox unavailable'
        if 'tempfail' in rcpts and rcpts not in seen:
            seen.add(rcpts)
            return '451 try again later'
        msg = email.message_from_bytes(envelope.content, policy=policy.default)
        parts = []
        for p in msg.walk():
            if p.get_content_maintype() == 'multipart':
                continue
            parts.append({'type': p.get_content_type(), 'charset': p.get_content_charset(),
                          'encoding': p.get('Content-Transfer-Encoding'), 'text': p.get_content()})
        print(json.dumps({'from': envelope.mail_from, 'to': envelope.rcpt_tos,
                          'subject': str(msg['subject']), 'contentType': msg.get_content_type(),
                          'headerFrom': str(msg['from']), 'parts': parts}), flush=True)
        return '250 OK'

c = Controller(Handler(), hostname='127.0.0.1', port=int(sys.argv[1]))
c.start()
print(json.dumps({'ready': True}), flush=True)
signal.sigwait([signal.SIGTERM, signal.SIGINT])
c.stop()
