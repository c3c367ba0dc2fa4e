import { createRoot } from 'react-dom/client';
import { App } from './App';
import { adoptTokenFromUrl } from './harness-token';

adoptTokenFromUrl();

createRoot(document.getElementById('root')!).render(<App />);
