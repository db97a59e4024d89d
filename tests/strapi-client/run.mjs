// Runs the official @strapi/client against a running Cairn serving the
// `catalog` test fixture: node run.mjs BASE_URL FULL_ACCESS_TOKEN
import assert from 'node:assert/strict';
import { strapi } from '@strapi/client';

const [baseURL, token] = process.argv.slice(2);
const client = strapi({ baseURL: `${baseURL}/api`, auth: token });
const products = client.collection('products');
let checks = 0;
const check = (name, fn) => fn().then(() => { checks += 1; }, (error) => {
  console.error(`${name}: ${error.stack ?? error}`);
  process.exitCode = 1;
});

await check('find with filters, sort, fields, populate and pagination', async () => {
  const toys = await products.find({
    filters: { kind: { $eq: 'toy' }, brand: { name: { $eq: 'Acme' } } },
    sort: ['price:asc'],
    fields: ['name', 'price'],
    populate: { brand: { fields: ['name'] } },
    pagination: { page: 1, pageSize: 10 },
  });
  assert.deepEqual(toys.data.map((p) => p.name), ['Zebra Puzzle']);
  assert.equal(toys.data[0].brand.name, 'Acme');
  assert.deepEqual(toys.meta.pagination, { page: 1, pageSize: 10, pageCount: 1, total: 1 });
});

await check('logical operators and lists', async () => {
  const found = await products.find({
    filters: { $or: [{ stock: { $in: [0, 5] } }, { name: { $startsWithi: 'app' } }] },
    sort: 'name:asc',
  });
  assert.deepEqual(found.data.map((p) => p.name).sort(), ['Apple', 'Teddy Bear', 'hammer drill'].sort());
});

await check('offset pagination', async () => {
  const page = await products.find({ sort: 'stock:asc', pagination: { start: 1, limit: 2 } });
  assert.deepEqual(page.data.map((p) => p.name), ['hammer drill', 'Zebra Puzzle']);
  assert.equal(page.meta.pagination.total, 6);
});

let created;
await check('create, findOne with populate, update, publish', async () => {
  const brands = await client.collection('brands').find({ filters: { name: 'Bosch' } });
  created = await products.create({ name: 'From the client', price: 1.25, brand: brands.data[0].documentId });
  assert.equal(created.data.name, 'From the client');
  assert.equal(created.data.publishedAt, null);
  const draft = await products.findOne(created.data.documentId, { status: 'draft', populate: ['brand'] });
  assert.equal(draft.data.brand.name, 'Bosch');
  const updated = await products.update(created.data.documentId, { stock: 9 }, { status: 'published' });
  assert.equal(updated.data.stock, 9);
  const published = await products.findOne(created.data.documentId);
  assert.equal(published.data.name, 'From the client');
});

await check('delete', async () => {
  await products.delete(created.data.documentId);
  await assert.rejects(products.findOne(created.data.documentId, { status: 'draft' }), (error) => error.response?.status === 404);
});

await check('single types', async () => {
  const home = client.single('home');
  await home.update({ title: 'Welcome' });
  const found = await home.find();
  assert.equal(found.data.title, 'Welcome');
  await home.delete();
  await assert.rejects(home.find(), (error) => error.response?.status === 404);
});

await check('errors carry Strapi envelopes', async () => {
  await assert.rejects(
    products.find({ filters: { name: { $nope: 'x' } } }),
    (error) => error.response?.status === 400,
  );
  await assert.rejects(products.create({ price: 'not a number' }), (error) => error.response?.status === 400);
});

console.log(JSON.stringify({ checks }));
