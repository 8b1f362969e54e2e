import { render } from 'preact';
import { App } from './app.tsx';
import { connect, metrics } from './connection.ts';
import './styles.css';

// Exposed for the e2e tests and the bench, which measure paint → ack in the page.
(globalThis as { __tally?: unknown }).__tally = { metrics };
connect();
render(<App />, document.getElementById('app')!);
