import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import '@mantine/dates/styles.css';
import 'mantine-datatable/styles.css';
// After Mantine's styles, which it adjusts.
import './app/focus.css';
import './app/tables.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// The language first: everything below draws its words from it.
import './i18n/i18n.js';
import { App } from './app/App.js';
import { currentPath, guardLeavingUnsavedChanges } from './app/router.js';
import { preloadLanding } from './app/routes.js';

// The landing page's code downloads while the app asks main whether there is a session (nothing secret in it).
preloadLanding(currentPath());

guardLeavingUnsavedChanges();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
