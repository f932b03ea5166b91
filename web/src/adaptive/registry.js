// Every Adaptive Card element and action the client renders, registered by name here rather
// than through the package's own registration. `adaptivecards` registers Table and Carousel as
// a side effect of their modules, and marks itself `sideEffects: false`, so a bundler that
// sees no use of those classes drops them with their registration: cards lost their tables and
// carousels without a word. Naming each class below keeps it in the bundle.
//
// scripts/check-web-registry reads the two tables below (the lines `['Type', Class, ...]`) and
// fails the build when a type's class is not in web/dist/app.js; keep one entry per line.
import {
  CardObjectRegistry, Versions,
  Container, TextBlock, RichTextBlock, TextRun, Image, ImageSet, Media, FactSet, ColumnSet,
  ActionSet, TextInput, DateInput, TimeInput, NumberInput, ChoiceSetInput, ToggleInput,
  Table, Carousel,
  OpenUrlAction, SubmitAction, ShowCardAction, ToggleVisibilityAction, ExecuteAction, HttpAction,
} from 'adaptivecards';

// Up to 1.5, and what Teams renders of 1.6 (Carousel). Column, TableRow/TableCell and
// CarouselPage are made by their parents, not looked up by name.
export const ELEMENTS = [
  ['Container', Container, Versions.v1_0],
  ['TextBlock', TextBlock, Versions.v1_0],
  ['RichTextBlock', RichTextBlock, Versions.v1_2],
  ['TextRun', TextRun, Versions.v1_2],
  ['Image', Image, Versions.v1_0],
  ['ImageSet', ImageSet, Versions.v1_0],
  ['Media', Media, Versions.v1_1],
  ['FactSet', FactSet, Versions.v1_0],
  ['ColumnSet', ColumnSet, Versions.v1_0],
  ['ActionSet', ActionSet, Versions.v1_2],
  ['Input.Text', TextInput, Versions.v1_0],
  ['Input.Date', DateInput, Versions.v1_0],
  ['Input.Time', TimeInput, Versions.v1_0],
  ['Input.Number', NumberInput, Versions.v1_0],
  ['Input.ChoiceSet', ChoiceSetInput, Versions.v1_0],
  ['Input.Toggle', ToggleInput, Versions.v1_0],
  ['Table', Table, Versions.v1_5],
  ['Carousel', Carousel, Versions.v1_6],
];

// Action.Http only for messages whose actions the server runs (see adaptive.js).
export const ACTIONS = [
  ['Action.OpenUrl', OpenUrlAction, Versions.v1_0],
  ['Action.Submit', SubmitAction, Versions.v1_0],
  ['Action.ShowCard', ShowCardAction, Versions.v1_0],
  ['Action.ToggleVisibility', ToggleVisibilityAction, Versions.v1_2],
  ['Action.Execute', ExecuteAction, Versions.v1_4],
  ['Action.Http', HttpAction, Versions.v1_0],
];

const elements = new CardObjectRegistry();
for (const [name, cls, version] of ELEMENTS) elements.register(name, cls, version);

const actionsWithHttp = new CardObjectRegistry();
const actionsWithoutHttp = new CardObjectRegistry();
for (const [name, cls, version] of ACTIONS) {
  actionsWithHttp.register(name, cls, version);
  if (cls !== HttpAction) actionsWithoutHttp.register(name, cls, version);
}

export function elementRegistry() {
  return elements;
}

export function actionRegistry(withHttp) {
  return withHttp ? actionsWithHttp : actionsWithoutHttp;
}
