/** The Celda app: the canvas editor with palette, inspector, problems and equations. */
import { mount } from 'svelte';
import App from './App.svelte';

mount(App, { target: document.getElementById('app') as HTMLElement });
