// Titles from the store and the frame's own labels follow the mirror's script, like the bodies transform converted.
export { inScript } from '../../internal/script.ts';
