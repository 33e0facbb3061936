// A small billing story through the official stripe-node library, against billcli.
// Prints one JSON line of what the Python test checks; any failure exits non-zero.
import Stripe from "stripe";

const base = new URL(process.env.BILLCLI_API_BASE);
const stripe = new Stripe(process.env.BILLCLI_API_KEY, {
  host: base.hostname,
  port: Number(base.port),
  protocol: base.protocol.replace(":", ""),
  maxNetworkRetries: 0,
});

const ada = await stripe.customers.create({
  name: "Ada from Node",
  email: "ada@example.com",
  metadata: { via: "node" },
  payment_method: "pm_card_visa",
});
for (const amount of [-100, -200, -300]) {
  await stripe.customers.createBalanceTransaction(ada.id, { amount, currency: "usd" });
}
const seen = [];
for await (const txn of stripe.customers.listBalanceTransactions(ada.id, { limit: 2 })) {
  seen.push(txn.amount);
}
const product = await stripe.products.create({ name: "Node plan" });
const price = await stripe.prices.create({
  product: product.id,
  currency: "usd",
  unit_amount: 1500,
  recurring: { interval: "month" },
});
const sub = await stripe.subscriptions.create({
  customer: ada.id,
  items: [{ price: price.id, quantity: 2 }],
  expand: ["latest_invoice"],
});
await stripe.invoiceItems.create({ customer: ada.id, amount: 700, currency: "usd" });
const draft = await stripe.invoices.create({
  customer: ada.id,
  pending_invoice_items_behavior: "include",
});
const final = await stripe.invoices.finalizeInvoice(draft.id, { auto_advance: false });
let missing = null;
try {
  await stripe.customers.retrieve("cus_00000000000000000000000a");
} catch (error) {
  missing = { type: error.type, status: error.statusCode, code: error.code };
}
const once = await stripe.customers.create({ name: "Once" }, { idempotencyKey: "node-1" });
const again = await stripe.customers.create({ name: "Once" }, { idempotencyKey: "node-1" });
// A customer on a test clock at 2020-01-31, its monthly plan renewed in the clock's time.
const clock = await stripe.testHelpers.testClocks.create({ frozen_time: 1580428800, name: "node" });
const kate = await stripe.customers.create({
  name: "Kate on a clock",
  payment_method: "pm_card_visa",
  test_clock: clock.id,
});
await stripe.subscriptions.create({ customer: kate.id, items: [{ price: price.id }] });
await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: 1583028000 });
let advanced = await stripe.testHelpers.testClocks.retrieve(clock.id);
for (let polls = 0; advanced.status === "advancing" && polls < 100; polls++) {
  await new Promise((resolve) => setTimeout(resolve, 200));
  advanced = await stripe.testHelpers.testClocks.retrieve(clock.id);
}
const kateInvoices = (await stripe.invoices.list({ customer: kate.id })).data;
const onClock = (await stripe.customers.list({ test_clock: clock.id })).data;
const deletedClock = await stripe.testHelpers.testClocks.del(clock.id);
const kateAfter = await stripe.customers.retrieve(kate.id);
console.log(JSON.stringify({
  customer: ada.id,
  balances: seen,
  subscription: sub.id,
  latestInvoiceStatus: sub.latest_invoice.status,
  quantity: sub.items.data[0].quantity,
  finalStatus: final.status,
  finalDue: final.amount_due,
  missing,
  clock: {
    created: [clock.object, clock.status, clock.frozen_time, clock.deletes_after - clock.created],
    customerCreated: [kate.created, kate.test_clock === clock.id],
    advanced: [advanced.status, advanced.frozen_time],
    invoices: kateInvoices.map((i) => [i.created, i.status, i.amount_paid]).reverse(),
    listed: onClock.map((c) => c.id).join() === kate.id,
    deleted: [deletedClock.deleted, kateAfter.deleted === true],
  },
  idempotent: once.id === again.id,
}));
