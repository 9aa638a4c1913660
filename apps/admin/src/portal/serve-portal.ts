import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import express from 'express';

/** Finds the portal's static files both from sources and from the built `dist/` tree. */
export function portalDirectory(): string {
  const candidates = [join(import.meta.dirname, '..', '..', 'portal'), join(import.meta.dirname, '..', '..', '..', '..', '..', 'apps', 'admin', 'portal')];
  const found = candidates.find((dir) => existsSync(join(dir, 'index.html')));
  if (!found) throw new Error(`admin portal files not found (looked in ${candidates.join(', ')})`);
  return found;
}

// The portal loads nothing from elsewhere: a strict policy makes injected markup inert.
const PORTAL_HEADERS: Record<string, string> = {
  'Content-Security-Policy': "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

/** Serves the single-page portal at `/portal` and redirects `/` there. */
export function servePortal(app: INestApplication): void {
  const dir = portalDirectory();
  app.use('/portal', (_req: express.Request, res: express.Response, next: express.NextFunction) => {
    for (const [name, value] of Object.entries(PORTAL_HEADERS)) res.setHeader(name, value);
    next();
  });
  app.use('/portal', express.static(dir, { index: 'index.html', fallthrough: true, maxAge: 0 }));
  app.use((req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (req.method === 'GET' && req.path === '/') res.redirect(302, '/portal/');
    else next();
  });
}
