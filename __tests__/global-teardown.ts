export { teardown as default } from "./global-tmp";
