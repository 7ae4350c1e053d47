import baseConfig, { browserOnly } from '../../eslint.config.mjs';

export default [...baseConfig, browserOnly];
