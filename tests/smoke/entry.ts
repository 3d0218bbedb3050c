// The bundle entry for the Node and browser smoke suites: everything an npm or
// browser user would import, in one ES module.
export * from "../../mod.ts";
