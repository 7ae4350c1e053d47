// Entry of the standalone browser bundle (dist/browser/deskvm-player.js): the whole public API with
// @deskvm/stream-protocol inlined, for pages that load `<script type="module">` without a bundler.
export * from './index.js';
