import { createRoot } from 'react-dom/client';
import { App } from './App.jsx';

// The Django page (console/templates/console/index.html) says where the API and
// its schema live and who is signed in.
const root = document.getElementById('console');
createRoot(root).render(<App settings={{ ...root.dataset }} />);
