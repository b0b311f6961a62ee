// Entry point: mounts the app and starts it (restores the session if the cookie is valid).
import { render } from 'preact';
import './styles/app.css';
import { App } from './ui/App';
import { Store } from './ui/store';

const store = new Store();
render(<App store={store} />, document.getElementById('app')!);
void store.boot();
