import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

// rete-svelte-plugin ships SCSS in its components: vitePreprocess compiles it.
export default { preprocess: vitePreprocess() };
