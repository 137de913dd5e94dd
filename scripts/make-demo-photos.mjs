// Draws the demo applicants' portraits (358×441 JPEG, 15–100 KB, white background) in the local
// Chromium, so `cardflow demo` shows real pictures without shipping anyone's face. Run once by hand:
//   node scripts/make-demo-photos.mjs
import { chromium } from 'playwright-core';
import { writeFileSync } from 'node:fs';

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage();
const palettes = [
  ['#2f3b52', '#e8c4a0', '#1d2433'],
  ['#5b3a29', '#f1d0b0', '#262626'],
  ['#1f4e5f', '#d9b38c', '#3b2f2f'],
  ['#6b2737', '#f3cfb3', '#111111'],
  ['#3d5a3d', '#e0b894', '#2b1d14'],
  ['#44475a', '#ecc9a8', '#4a3728'],
];
for (const [i, [coat, skin, hair]] of palettes.entries()) {
  const dataUrl = await page.evaluate(
    ([coat, skin, hair, seed0]) => {
      const c = document.createElement('canvas');
      c.width = 358;
      c.height = 441;
      const g = c.getContext('2d');
      g.fillStyle = '#ffffff';
      g.fillRect(0, 0, 358, 441);
      g.fillStyle = coat;
      g.beginPath();
      g.ellipse(179, 470, 170, 150, 0, Math.PI, 0);
      g.fill();
      g.fillStyle = skin;
      g.fillRect(152, 250, 54, 60);
      g.beginPath();
      g.ellipse(179, 190, 78, 98, 0, 0, Math.PI * 2);
      g.fill();
      g.fillStyle = hair;
      g.beginPath();
      g.ellipse(179, 140, 84, 60, 0, Math.PI, 0);
      g.fill();
      // Fine grain like a real photograph: keeps the JPEG in the 15–100 KB the card specification asks for.
      let seed = seed0;
      const img = g.getImageData(0, 0, 358, 441);
      for (let p = 0; p < img.data.length; p += 4) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        const n = (seed % 25) - 12;
        if (img.data[p] < 250) for (let k = 0; k < 3; k++) img.data[p + k] = Math.max(0, Math.min(255, img.data[p + k] + n));
      }
      g.putImageData(img, 0, 0);
      return c.toDataURL('image/jpeg', 0.92);
    },
    [coat, skin, hair, 11 + i * 7],
  );
  const bytes = Buffer.from(dataUrl.split(',')[1], 'base64');
  writeFileSync(new URL(`../assets/demo/portrait-${i + 1}.jpg`, import.meta.url), bytes);
  process.stdout.write(`portrait-${i + 1}.jpg ${bytes.length} bytes\n`);
}
await browser.close();
