// The day-close CronJob: yesterday's business date (BUSINESS_TIME_ZONE) closed in each service,
// in order (receivables first: credit and engagement react to its overdue events), each
// followed until its run completes. A machine identity's client-credentials token carries the
// roles credit_manager and account_manager (the close-day endpoints need them, no more).
const services = (process.env.CLOSE_DAY_SERVICES ?? '').split(',').filter(Boolean).map((entry) => entry.split('='));
const zone = process.env.BUSINESS_TIME_ZONE ?? 'UTC';
const yesterday = new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(new Date(Date.now() - 86_400_000));
const businessDate = process.env.CLOSE_DAY_DATE || yesterday;

async function token() {
  if (process.env.CLOSE_DAY_TOKEN) return process.env.CLOSE_DAY_TOKEN;
  const response = await fetch(process.env.TOKEN_URL, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: process.env.CLIENT_ID, client_secret: process.env.CLIENT_SECRET,
      ...(process.env.TOKEN_SCOPE ? { scope: process.env.TOKEN_SCOPE } : {}) }),
  });
  if (!response.ok) throw new Error(`token endpoint answered ${response.status}`);
  return (await response.json()).access_token;
}

async function close(name, url, bearer) {
  const headers = { authorization: `Bearer ${bearer}`, 'content-type': 'application/json', 'idempotency-key': `day-close-${businessDate}` };
  let response = await fetch(`${url}/v1/operations/close-day`, { method: 'POST', headers, body: JSON.stringify({ businessDate }) });
  let body = await response.json();
  const location = response.headers.get('location');
  while (response.status === 202 || body.status === 'running') {
    await new Promise((resolve) => setTimeout(resolve, 5000));
    response = await fetch(new URL(location ?? `/v1/operations/close-day/${businessDate}`, url), { headers });
    body = await response.json();
  }
  if (!response.ok || body.status !== 'completed') throw new Error(`${name}: close of ${businessDate} answered ${response.status} ${JSON.stringify(body)}`);
  console.log(JSON.stringify({ level: 30, service: name, businessDate, message: 'day closed', recorded: body.recorded ?? {} }));
}

const bearer = await token();
for (const [name, url] of services) await close(name, url, bearer);
