// The purchase lists the browser tests answer the portal with (page.route), so a test can show a
// library of any size without recording it on the server: `n` purchases, the second of 12 files,
// the third with a long German name, the first with an update; link requests get a day's link.
const DAY = 86400000;

export function library(n) {
  const now = Date.now();
  const purchases = [];
  for (let i = 0; i < n; i++) {
    const files = [];
    const count = i === 1 ? 12 : 1;
    for (let f = 0; f < count; f++)
      files.push({
        path: `Product ${i + 1} part ${f + 1}.wav`,
        size: 1400000 * (f + 1),
        sha256: 'ab'.repeat(32),
      });
    purchases.push({
      purchaseId: i + 1,
      orderId: `ORD-${1000 + i}`,
      purchasedAt: new Date(now - i * DAY).toISOString(),
      productId: `product-${i + 1}`,
      productName: i === 2 ? 'Orchesterbibliothek Streicherensemble Deluxe Sammlung' : `Product ${i + 1}`,
      purchasedVersion: '1.0.0',
      latestVersion: i === 0 ? '1.1.0' : '1.0.0',
      files,
    });
  }
  return { email: 'demo@example.com', purchases };
}

// Answers the portal's purchase listing with `n` purchases and its link requests with links.
export async function routeLibrary(page, n, serverUrl) {
  const body = JSON.stringify(library(n));
  await page.route('**/api/portal/purchases*', (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body }),
  );
  await page.route('**/api/portal/download-url', async (route) => {
    const { purchaseId } = JSON.parse(route.request().postData() || '{}');
    await route.fulfill({
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({
        success: true,
        productId: `product-${purchaseId}`,
        version: '1.0.0',
        downloadToken: 'f'.repeat(64),
        downloadUrl: `${serverUrl}/download?token=${'f'.repeat(64)}`,
        expiresAt: new Date(Date.now() + DAY).toISOString(),
      }),
    });
  });
}
